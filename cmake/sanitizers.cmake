# -DCSCTL_SANITIZE=ON builds everything with ASan and UBSan.
if(CSCTL_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
