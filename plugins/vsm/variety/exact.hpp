// Exact rational arithmetic for variety counts and Beer's indices: numbers are read from the
// decimal text the user wrote ("0.1" is 1/10, not the nearest double) and printed only at the end.
#pragma once

#include <boost/multiprecision/cpp_int.hpp>

#include <string>

namespace holon_vsm {

using Rational = boost::multiprecision::cpp_rational;
using Integer = boost::multiprecision::cpp_int;

// "40000", "0.75", "1e+20", "-2.5E-3" -> the exact rational. Throws std::invalid_argument.
Rational parse_decimal(const std::string &text);

// "2/3", or "3" for an integer.
std::string to_fraction(const Rational &r);
double to_double(const Rational &r);
Integer ceil_of(const Rational &r);
Integer floor_of(const Rational &r);
// log2 of a positive integer, correctly rounded enough for printing (exact for powers of 2).
double log2_of(const Integer &n);

} // namespace holon_vsm
