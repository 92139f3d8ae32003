/* getrandom(2), which Swift's Glibc module leaves out: it is declared in <sys/random.h> alone. */
#include <sys/random.h>
