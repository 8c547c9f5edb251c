#pragma once
#include "a/a.hpp"
