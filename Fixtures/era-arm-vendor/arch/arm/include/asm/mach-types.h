#include <generated/mach-types.h>
