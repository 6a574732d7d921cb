/// @file
/// TBLOG_API marks what tblog exports. The library is built with hidden visibility, so a shared
/// libtblog exports exactly the declarations marked here: the public API, never protobuf or
/// other internals.
#pragma once

#if defined(_WIN32)
#define TBLOG_API
#else
#define TBLOG_API __attribute__((visibility("default")))
#endif
