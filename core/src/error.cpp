#include "anime2vec/error.hpp"
