fiscpos_add_test(viva_sim_tests
    SOURCES viva_sim_test.cpp sim_fixture.cpp
    LIBS fiscpos_sim fiscpos_signing Poco::Foundation
    LABELS integration)
# The options test starts build/sim/fiscpos-sim.
add_dependencies(viva_sim_tests fiscpos_sim_app)
