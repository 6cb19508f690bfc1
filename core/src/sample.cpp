#include "anime2vec/sample.hpp"
