#include "anime2vec/skipgram.hpp"
