#include "anime2vec/csv.hpp"
