#include "drawing/svg_png.hpp"

#include <cairo.h>
#include <librsvg/rsvg.h>

#include <cmath>
#include <memory>
#include <stdexcept>

namespace holon_plugins::drawing {
namespace {

struct GObjectDeleter {
    void operator()(RsvgHandle *h) const { g_object_unref(h); }
};
struct SurfaceDeleter {
    void operator()(cairo_surface_t *s) const { cairo_surface_destroy(s); }
};
struct CairoDeleter {
    void operator()(cairo_t *c) const { cairo_destroy(c); }
};

cairo_status_t append_bytes(void *closure, const unsigned char *data, unsigned int length) {
    static_cast<std::string *>(closure)->append(reinterpret_cast<const char *>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

} // namespace

std::string svg_to_png(std::string_view svg, double scale) {
    GError *error = nullptr;
    std::unique_ptr<RsvgHandle, GObjectDeleter> handle(
        rsvg_handle_new_from_data(reinterpret_cast<const guint8 *>(svg.data()), svg.size(), &error));
    if (!handle) {
        std::string message = error ? error->message : "unreadable SVG";
        if (error) g_error_free(error);
        throw std::runtime_error("cannot rasterise the picture: " + message);
    }
    gdouble width = 0, height = 0;
    if (!rsvg_handle_get_intrinsic_size_in_pixels(handle.get(), &width, &height) || width <= 0 || height <= 0)
        throw std::runtime_error("cannot rasterise the picture: the SVG has no width and height in pixels");
    const int pixel_width = static_cast<int>(std::ceil(width * scale));
    const int pixel_height = static_cast<int>(std::ceil(height * scale));
    if (pixel_width > 20000 || pixel_height > 20000)
        throw std::runtime_error("cannot rasterise the picture: it would be larger than 20000 pixels a side");

    std::unique_ptr<cairo_surface_t, SurfaceDeleter> surface(
        cairo_image_surface_create(CAIRO_FORMAT_ARGB32, pixel_width, pixel_height));
    std::unique_ptr<cairo_t, CairoDeleter> cr(cairo_create(surface.get()));
    // A white page: a transparent PNG pasted into a dark-themed report would lose its text.
    cairo_set_source_rgb(cr.get(), 1, 1, 1);
    cairo_paint(cr.get());
    const RsvgRectangle viewport{0, 0, width * scale, height * scale};
    if (!rsvg_handle_render_document(handle.get(), cr.get(), &viewport, &error)) {
        std::string message = error ? error->message : "render failed";
        if (error) g_error_free(error);
        throw std::runtime_error("cannot rasterise the picture: " + message);
    }
    cairo_surface_flush(surface.get());
    std::string png;
    if (cairo_surface_write_to_png_stream(surface.get(), &append_bytes, &png) != CAIRO_STATUS_SUCCESS)
        throw std::runtime_error("cannot rasterise the picture: PNG encoding failed");
    return png;
}

std::string xml_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&apos;"; break;
        default: out += c;
        }
    }
    return out;
}

} // namespace holon_plugins::drawing
