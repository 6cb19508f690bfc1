# anime2vec_warnings(target): the project's warning set, errors under ANIME2VEC_WERROR.
function(anime2vec_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow)
  if(ANIME2VEC_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
