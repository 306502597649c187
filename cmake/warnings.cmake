# One INTERFACE target with our warning flags, linked PRIVATE into every target of ours.
add_library(pullsim_warnings INTERFACE)
target_compile_options(pullsim_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wnon-virtual-dtor -Wold-style-cast
  -Woverloaded-virtual -Werror)
