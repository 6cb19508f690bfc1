#include "anime2vec/neighbours.hpp"
