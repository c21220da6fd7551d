fiscpos_add_test(gptom_sim_tests
    SOURCES gptom_sim_test.cpp
    LIBS fiscpos_sim fiscpos_signing
    LABELS integration)
# The options test starts build/sim/fiscpos-sim.
add_dependencies(gptom_sim_tests fiscpos_sim_app)
