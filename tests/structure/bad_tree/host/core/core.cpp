#include "plugins/demo/a/a.hpp"
