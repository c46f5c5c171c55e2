# sparta_add_plugin(NAME SOURCES...): builds NAME.so against the plugin SDK.
# In the sparta tree the plugin lands in the build's plugins/ folder and installs
# under lib/sparta/plugins; out of tree it installs to the prefix's plugin dir.
function(sparta_add_plugin name)
  add_library(${name} MODULE ${ARGN})
  set_target_properties(${name} PROPERTIES PREFIX "" OUTPUT_NAME ${name}
    C_VISIBILITY_PRESET hidden)
  if(TARGET Sparta::plugin)
    target_link_libraries(${name} PRIVATE Sparta::plugin)
  endif()
  if(DEFINED SPARTA_BUILD_PLUGIN_DIR)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${SPARTA_BUILD_PLUGIN_DIR})
  endif()
  if(DEFINED SPARTA_PLUGIN_INSTALL_DIR)
    install(TARGETS ${name} LIBRARY DESTINATION ${SPARTA_PLUGIN_INSTALL_DIR})
  endif()
endfunction()
