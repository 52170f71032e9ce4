// SPDX-License-Identifier: BSD-3-Clause
// TempDir: a fresh directory for one test case, removed with its contents.
// Header-only, for the suites that need files of their own.
#pragma once

#include <sys/stat.h>
#include <sys/types.h>

#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/gosyscall-test-XXXXXX";
    BOOST_REQUIRE(mkdtemp(tmpl) != nullptr);
    path_ = std::filesystem::canonical(tmpl).string();  // its real path
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

  // file writes content to path()/name with mode, making directories as needed.
  std::string file(const std::string& name, const std::string& content, mode_t mode) const {
    const std::string p = path_ + "/" + name;
    std::filesystem::create_directories(std::filesystem::path(p).parent_path());
    std::ofstream(p, std::ios::binary) << content;
    BOOST_REQUIRE(chmod(p.c_str(), mode) == 0);
    return p;
  }

 private:
  std::string path_;
};
