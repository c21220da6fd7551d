target_sources(fiscpos_sim PRIVATE gptom_tasks.cpp gptom_party.cpp gptom_options.cpp)
