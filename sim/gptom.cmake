target_sources(fiscpos_sim PRIVATE gptom_options.cpp)
