target_sources(fiscpos_sim PRIVATE viva_options.cpp)
