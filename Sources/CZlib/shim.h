// zlib (Debian: zlib1g-dev), for gzip-compressed IDX (MNIST) files.
#include <zlib.h>

// deflateInit2/inflateInit2 are macros; wrap them so Swift can call them.
static inline int descent_inflate_init_gzip(z_stream *s) { return inflateInit2(s, 16 + MAX_WBITS); }
static inline int descent_deflate_init_gzip(z_stream *s) {
    return deflateInit2(s, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
}
