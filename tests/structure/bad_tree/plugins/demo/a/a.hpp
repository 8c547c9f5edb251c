#pragma once
#include "b/b.hpp"
