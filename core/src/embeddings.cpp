#include "anime2vec/embeddings.hpp"
