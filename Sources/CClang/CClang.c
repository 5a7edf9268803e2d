/* SwiftPM needs one source file in a C target; the API is all in headers. */
#include "CClang.h"
