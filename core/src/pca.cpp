#include "anime2vec/pca.hpp"
