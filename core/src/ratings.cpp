#include "anime2vec/ratings.hpp"
