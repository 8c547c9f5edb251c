#include "variety/exact.hpp"

#include <cctype>
#include <cmath>
#include <stdexcept>

namespace holon_vsm {

Rational parse_decimal(const std::string &text) {
    std::size_t i = 0;
    bool negative = false;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
    Integer digits = 0;
    long long scale = 0; // value = digits * 10^scale
    bool any = false, point = false;
    for (; i < text.size(); ++i) {
        const char c = text[i];
        if (std::isdigit(static_cast<unsigned char>(c))) {
            digits = digits * 10 + (c - '0');
            if (point) --scale;
            any = true;
        } else if (c == '.' && !point) {
            point = true;
        } else {
            break;
        }
    }
    if (!any) throw std::invalid_argument("not a number: '" + text + "'");
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        bool exp_negative = false;
        if (i < text.size() && (text[i] == '-' || text[i] == '+')) exp_negative = text[i++] == '-';
        long long exponent = 0;
        bool exp_any = false;
        for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) {
            exponent = exponent * 10 + (text[i] - '0');
            exp_any = true;
            if (exponent > 100000) throw std::invalid_argument("exponent too large: '" + text + "'");
        }
        if (!exp_any) throw std::invalid_argument("not a number: '" + text + "'");
        scale += exp_negative ? -exponent : exponent;
    }
    if (i != text.size()) throw std::invalid_argument("not a number: '" + text + "'");
    Integer power = 1;
    for (long long k = 0; k < (scale < 0 ? -scale : scale); ++k) power *= 10;
    Rational value = scale >= 0 ? Rational(digits * power) : Rational(digits, power);
    return negative ? Rational(-value) : value;
}

std::string to_fraction(const Rational &r) {
    const Integer num = boost::multiprecision::numerator(r), den = boost::multiprecision::denominator(r);
    return den == 1 ? num.str() : num.str() + "/" + den.str();
}

double to_double(const Rational &r) { return r.convert_to<double>(); }

Integer floor_of(const Rational &r) {
    const Integer num = boost::multiprecision::numerator(r), den = boost::multiprecision::denominator(r);
    Integer q = num / den; // truncates toward zero
    if (num < 0 && q * den != num) q -= 1;
    return q;
}

Integer ceil_of(const Rational &r) {
    const Integer f = floor_of(r);
    return Rational(f) == r ? f : Integer(f + 1);
}

double log2_of(const Integer &n) {
    if (n <= 0) throw std::invalid_argument("log2 of a non-positive count");
    // Exact for powers of two; otherwise through long double on the leading bits.
    const std::size_t bits = boost::multiprecision::msb(n);
    if (bits < 60) return std::log2(static_cast<long double>(n.convert_to<unsigned long long>()));
    const Integer top = n >> (bits - 59);
    return static_cast<double>(std::log2(static_cast<long double>(top.convert_to<unsigned long long>())) + static_cast<long double>(bits - 59));
}

} // namespace holon_vsm
