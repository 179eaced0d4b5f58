// ncursesw with the wide-character API. SwiftPM drops pkg-config -D flags, so the
// define that unlocks the wide API comes first here (see shared/NOTES.md).
#define NCURSES_WIDECHAR 1
#include <ncursesw/ncurses.h>
#include <locale.h>
#include <langinfo.h>

// Macros Swift cannot import, wrapped as functions.
static inline unsigned int descent_attr_bold(void) { return (unsigned int)A_BOLD; }
static inline unsigned int descent_attr_reverse(void) { return (unsigned int)A_REVERSE; }
static inline unsigned int descent_attr_dim(void) { return (unsigned int)A_DIM; }
static inline unsigned int descent_attr_underline(void) { return (unsigned int)A_UNDERLINE; }
static inline unsigned int descent_attr_normal(void) { return (unsigned int)A_NORMAL; }

// A terminfo string capability of the current terminal (`rmcup`, `cnorm`…), or NULL if absent.
#include <ncursesw/term.h>
static inline const char *descent_terminfo_string(const char *name) {
    char *value = tigetstr(name);
    return (value == NULL || value == (char *)-1) ? NULL : value;
}
