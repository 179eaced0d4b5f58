// GNU readline (GPL-3.0). readline.h needs <stdio.h> before it.
#include <stdio.h>
#include <readline/readline.h>
#include <readline/history.h>
