#include "anime2vec/rng.hpp"
