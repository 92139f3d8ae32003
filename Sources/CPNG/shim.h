#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

/* libpng's classic write API reports errors by longjmp, which Swift cannot do: the whole encode runs
   inside this one C function, which owns the setjmp. The classic API is used (rather than the
   simplified png_image_write_to_memory) because it lets the caller choose the zlib level. */

typedef struct {
    unsigned char *data;
    size_t size;
    size_t capacity;
} cpng_buffer;

static void cpng_append(png_structp png, png_bytep bytes, size_t length) {
    cpng_buffer *buffer = (cpng_buffer *)png_get_io_ptr(png);
    if (buffer->size + length > buffer->capacity) {
        size_t capacity = buffer->capacity ? buffer->capacity : 65536;
        while (capacity < buffer->size + length) capacity *= 2;
        unsigned char *grown = (unsigned char *)realloc(buffer->data, capacity);
        if (!grown) png_error(png, "out of memory");
        buffer->data = grown;
        buffer->capacity = capacity;
    }
    memcpy(buffer->data + buffer->size, bytes, length);
    buffer->size += length;
}

static void cpng_flush(png_structp png) { (void)png; }

/* libpng's default handlers print on stderr, which would break one-JSON-object-per-line logs. */
static void cpng_error(png_structp png, png_const_charp message) { (void)message; png_longjmp(png, 1); }
static void cpng_warning(png_structp png, png_const_charp message) { (void)png; (void)message; }

/* Writes a PNG of `width` × `height` pixels into `out` (whose data the caller frees with free()).
   `color_type` is PNG_COLOR_TYPE_PALETTE (one index a pixel, `palette` 256 RGB triples, and
   `alpha_count` entries of `alpha` for the first palette entries: a tRNS chunk when nonzero) or
   PNG_COLOR_TYPE_RGB_ALPHA (four bytes a pixel, no palette). `level` is zlib's 0–9.
   Returns 0, or -1 on failure. */
static inline int cpng_write(png_uint_32 width, png_uint_32 height, int color_type, const unsigned char *palette,
                             const unsigned char *alpha, int alpha_count, const unsigned char *pixels,
                             int level, cpng_buffer *out) {
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, cpng_error, cpng_warning);
    if (!png) return -1;
    png_infop info = png_create_info_struct(png);
    if (!info || setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, info ? &info : NULL);
        return -1;
    }
    png_set_write_fn(png, out, cpng_append, cpng_flush);
    png_set_IHDR(png, info, width, height, 8, color_type, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    size_t row_bytes = width;
    if (color_type == PNG_COLOR_TYPE_PALETTE) {
        png_color colors[256];
        for (int i = 0; i < 256; i++) {
            colors[i].red = palette[3 * i];
            colors[i].green = palette[3 * i + 1];
            colors[i].blue = palette[3 * i + 2];
        }
        png_set_PLTE(png, info, colors, 256);
        if (alpha_count > 0) png_set_tRNS(png, info, alpha, alpha_count, NULL);
        /* Row filters do not help palette indices (the PNG spec advises none for them). */
        png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
    } else {
        row_bytes = (size_t)width * 4;
    }
    png_set_compression_level(png, level);
    png_write_info(png, info);
    for (png_uint_32 y = 0; y < height; y++) png_write_row(png, pixels + (size_t)y * row_bytes);
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    return 0;
}
