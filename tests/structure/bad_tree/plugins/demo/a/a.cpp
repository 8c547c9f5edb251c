#include "host/core/core.hpp"
