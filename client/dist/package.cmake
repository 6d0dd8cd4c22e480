# The keha-desk Debian package; included by the top-level CMakeLists.txt before CPack.
list(APPEND CPACK_COMPONENTS_ALL desk)
add_dependencies(keha-package-files keha-desk)
if(TARGET keha-desk-man)
  add_dependencies(keha-package-files keha-desk-man)
endif()
set(CPACK_DEBIAN_DESK_PACKAGE_NAME keha-desk)
set(CPACK_DEBIAN_DESK_PACKAGE_SECTION net)
# dpkg-shlibdeps adds the libraries linked; GLFW loads libGL.so.1 at run time, and the fonts
# are found by path (client/src/fonts.cpp): Noto Sans first, DejaVu Sans otherwise.
set(CPACK_DEBIAN_DESK_PACKAGE_DEPENDS "keha-common (= ${KEHA_DEB_VERSION}), libgl1, fonts-noto-core | fonts-dejavu-core")
set(CPACK_DEBIAN_DESK_DESCRIPTION "Kehä dialogue facilitation - desktop client
${KEHA_DEB_ABOUT}

keha-desk is the facilitator's console for steering a meeting, a full-screen
projector view for the wall and the participant view, connecting to a
keha-server over HTTPS and WebSocket.")
