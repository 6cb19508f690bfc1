#include "anime2vec/lookup.hpp"
