#include "anime2vec/catalogue.hpp"
