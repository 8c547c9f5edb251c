#include "formats/text_measure.hpp"

#include <cairo.h>

#include <memory>
#include <sstream>

namespace holon_cld {
namespace {

struct SurfaceDeleter {
    void operator()(cairo_surface_t *s) const { cairo_surface_destroy(s); }
};
struct CairoDeleter {
    void operator()(cairo_t *c) const { cairo_destroy(c); }
};

// One measuring context per thread: the methods run concurrently and a cairo_t is not shared.
cairo_t *measuring_context() {
    thread_local std::unique_ptr<cairo_surface_t, SurfaceDeleter> surface(cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1));
    thread_local std::unique_ptr<cairo_t, CairoDeleter> context(cairo_create(surface.get()));
    return context.get();
}

} // namespace

double text_width(std::string_view text, double size, bool bold) {
    cairo_t *cr = measuring_context();
    cairo_select_font_face(cr, diagram_font, CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
    cairo_text_extents_t extents;
    const std::string copy(text);
    cairo_text_extents(cr, copy.c_str(), &extents);
    return extents.x_advance;
}

std::vector<std::string> wrap_to_width(std::string_view text, double max_width, double size, bool bold) {
    std::vector<std::string> lines;
    std::string line, word;
    std::istringstream in{std::string(text)};
    while (in >> word) {
        const std::string longer = line.empty() ? word : line + " " + word;
        if (!line.empty() && text_width(longer, size, bold) > max_width) {
            lines.push_back(line);
            line = word;
        } else {
            line = longer;
        }
    }
    if (!line.empty()) lines.push_back(line);
    return lines;
}

} // namespace holon_cld
