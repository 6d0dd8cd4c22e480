# The keha-server Debian package; included by the top-level CMakeLists.txt before CPack.
list(APPEND CPACK_COMPONENTS_ALL server)
add_dependencies(keha-package-files keha-server)
if(TARGET keha-server-man)
  add_dependencies(keha-package-files keha-server-man)
endif()
set(CPACK_DEBIAN_SERVER_PACKAGE_NAME keha-server)
set(CPACK_DEBIAN_SERVER_PACKAGE_SECTION net)
# dpkg-shlibdeps adds the libraries; postinst needs adduser.
set(CPACK_DEBIAN_SERVER_PACKAGE_DEPENDS "keha-common (= ${KEHA_DEB_VERSION}), adduser")
set(CPACK_DEBIAN_SERVER_PACKAGE_SUGGESTS "nginx, keha-desk")
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_EXTRA
  "${CMAKE_CURRENT_LIST_DIR}/debian/conffiles"
  "${CMAKE_CURRENT_LIST_DIR}/debian/postinst"
  "${CMAKE_CURRENT_LIST_DIR}/debian/prerm"
  "${CMAKE_CURRENT_LIST_DIR}/debian/postrm")
set(CPACK_DEBIAN_SERVER_DESCRIPTION "Kehä dialogue facilitation - server
${KEHA_DEB_ABOUT}

keha-server serves the meetings to browsers and to keha-desk over HTTPS and
WebSocket, and keeps them in one SQLite file. The package runs it as the
system user keha under a sandboxed systemd unit, with its settings in
/etc/keha/keha.conf, a random organizer key in /etc/keha/organizer-key and the
meetings in /var/lib/keha. It listens on 127.0.0.1:8080 until configured
otherwise.")
