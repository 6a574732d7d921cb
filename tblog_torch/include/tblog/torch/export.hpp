/// @file
/// TBLOG_TORCH_API marks what tblog::torch exports. The library is built with hidden visibility,
/// as tblog is, so a shared libtblog_torch exports exactly the declarations marked here: the
/// public API, never its internals (the one-pass statistics, pixel conversions, checks).
#pragma once

#if defined(_WIN32)
#define TBLOG_TORCH_API
#else
#define TBLOG_TORCH_API __attribute__((visibility("default")))
#endif
