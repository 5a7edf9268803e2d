#ifndef NOTIFYSPLIT_CCLANG_H
#define NOTIFYSPLIT_CCLANG_H
/* Umbrella header: libclang's C API from Debian's libclang-dev. */
#include "clang-c/Index.h"
#include "clang-c/CXCompilationDatabase.h"
#endif
