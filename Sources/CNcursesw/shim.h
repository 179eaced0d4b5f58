// ncursesw with the wide-character API. SwiftPM drops pkg-config -D flags, so the
// define that unlocks the wide API comes first here (see shared/NOTES.md).
#define NCURSES_WIDECHAR 1
#include <ncursesw/ncurses.h>
#include <locale.h>

// Macros Swift cannot import, wrapped as functions.
static inline int descent_attr_bold(void) { return (int)A_BOLD; }
static inline int descent_attr_reverse(void) { return (int)A_REVERSE; }
static inline int descent_attr_dim(void) { return (int)A_DIM; }
static inline int descent_attr_underline(void) { return (int)A_UNDERLINE; }
