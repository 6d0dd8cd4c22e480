#!/usr/bin/env python3
"""The Debian packages as an IT department receives them (README "Packages").

Run by ctest (tests/package/CMakeLists.txt) with one of:
  build     cpack makes keha-server, keha-desk and keha-common from the built tree
  contents  dpkg-deb -c/-I/-f: files, modes, conffiles, dependencies, no build paths
  service   systemd-analyze verify and security of the packaged unit in a throw-away root
  scripts   postinst, prerm and postrm in a private mount namespace over copies of /etc and /var/lib
  run       the extracted keha-server with the packaged keha.conf, over HTTPS, then SIGTERM
  lintian   lintian finds no error or warning
Nothing is installed into the real system: packages are unpacked with dpkg-deb -x, and the
maintainer scripts see copies of the folders they change.
"""
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import unittest
from pathlib import Path

BUILD = Path(os.environ["KEHA_BUILD_DIR"])
SOURCE = Path(os.environ["KEHA_SOURCE_DIR"])
OUT = Path(os.environ["KEHA_PACKAGE_DIR"])
VERSION = os.environ["KEHA_DEB_VERSION"]
PACKAGES = ("keha-server", "keha-desk", "keha-common")


def run(*args, **kwargs):
    kwargs.setdefault("check", True)
    kwargs.setdefault("capture_output", True)
    kwargs.setdefault("text", True)
    kwargs.setdefault("timeout", 120)
    return subprocess.run(list(map(str, args)), **kwargs)


def deb(name):
    arch = "all" if name == "keha-common" else run("dpkg", "--print-architecture").stdout.strip()
    path = OUT / f"{name}_{VERSION}_{arch}.deb"
    if not path.exists():
        raise AssertionError(f"{path} is missing: the package.build test makes it")
    return path


def listing(name):
    """dpkg-deb -c as {path: (mode string, owner, size)}; paths without the leading '.'."""
    files = {}
    for line in run("dpkg-deb", "-c", deb(name)).stdout.splitlines():
        mode, owner, size, _date, _time, path = line.split(None, 5)
        path = path.split(" -> ")[0]
        files[path[1:].rstrip("/") or "/"] = (mode, owner, int(size))
    return files


def field(name, key):
    return run("dpkg-deb", "-f", deb(name), key).stdout.strip()


def control_file(name, member):
    with tempfile.TemporaryDirectory() as tmp:
        run("dpkg-deb", "-e", deb(name), tmp)
        path = Path(tmp) / member
        return (path.read_text(), stat.S_IMODE(path.stat().st_mode)) if path.exists() else (None, None)


def extract_all(root):
    for name in PACKAGES:
        run("dpkg-deb", "-x", deb(name), root)


def help_options(binary):
    """The long options keha-server --help names."""
    text = run(binary, "--help").stdout
    return set(re.findall(r"^\s+(?:-\w,)?--([a-z][a-z0-9-]*)", text, re.M))


# Options that are no key of the settings file: the key itself belongs in no file everyone reads.
NOT_IN_THE_FILE = {"help", "version", "config", "organizer-key"}


class Build(unittest.TestCase):
    def test_cpack_makes_the_three_packages(self):
        shutil.rmtree(OUT, ignore_errors=True)
        result = run(os.environ.get("KEHA_CPACK", "cpack"), "--config", BUILD / "CPackConfig.cmake", "-B", OUT,
                     cwd=BUILD, timeout=280, check=False)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        for name in PACKAGES:
            self.assertTrue(deb(name).exists())


class Contents(unittest.TestCase):
    def test_keha_server_has_its_files_with_their_modes(self):
        files = listing("keha-server")
        expected = {
            "/usr/bin/keha-server": "-rwxr-xr-x",
            "/etc/keha/keha.conf": "-rw-r--r--",
            "/lib/systemd/system/keha-server.service": "-rw-r--r--",
            "/usr/share/man/man1/keha-server.1.gz": "-rw-r--r--",
            "/usr/share/doc/keha-server/copyright": "-rw-r--r--",
            "/usr/share/doc/keha-server/changelog.Debian.gz": "-rw-r--r--",
            "/usr/share/doc/keha-server/README.md": "-rw-r--r--",
            "/usr/share/keha/web/index.html": "-rw-r--r--",
            "/usr/share/keha/web/room.js": "-rw-r--r--",
            "/usr/share/doc/keha-server/deployment.md": "-rw-r--r--",
        }
        for example in ("nginx-keha.conf", "Caddyfile.keha", "keha-backup.service", "keha-backup.timer",
                        "haproxy-keha.cfg"):
            expected[f"/usr/share/doc/keha-server/examples/{example}"] = "-rw-r--r--"
        for path, mode in expected.items():
            self.assertIn(path, files)
            self.assertEqual(files[path][0], mode, path)
        self.assertNotIn("/usr/share/keha/i18n/fi.json", files, "the catalogs are keha-common's")
        self.assertFalse([p for p in files if p.startswith("/var")], "/var/lib/keha is made by postinst and systemd")
        self.assertFalse([p for p in files if p.endswith("organizer-key")], "the organizer key is made at install")

    def test_keha_desk_has_its_files_with_their_modes(self):
        files = listing("keha-desk")
        for path, mode in {
            "/usr/bin/keha-desk": "-rwxr-xr-x",
            "/usr/share/applications/keha-desk.desktop": "-rw-r--r--",
            "/usr/share/icons/hicolor/scalable/apps/keha-desk.svg": "-rw-r--r--",
            "/usr/share/man/man1/keha-desk.1.gz": "-rw-r--r--",
            "/usr/share/doc/keha-desk/copyright": "-rw-r--r--",
            "/usr/share/doc/keha-desk/changelog.Debian.gz": "-rw-r--r--",
        }.items():
            self.assertIn(path, files)
            self.assertEqual(files[path][0], mode, path)

    def test_keha_common_has_the_catalogs_and_templates_both_programs_read(self):
        files = listing("keha-common")
        for lang in ("fi", "sv", "en"):
            self.assertIn(f"/usr/share/keha/i18n/{lang}.json", files)
        templates = sorted(p.name for p in (SOURCE / "assets/templates").glob("*.json"))
        self.assertEqual(sorted(Path(p).name for p in files if p.startswith("/usr/share/keha/templates/")), templates)
        self.assertEqual(field("keha-common", "Architecture"), "all")

    def test_every_file_is_roots_and_none_is_world_writable(self):
        for name in PACKAGES:
            for path, (mode, owner, _size) in listing(name).items():
                self.assertEqual(owner, "root/root", f"{name}: {path}")
                if not mode.startswith("l"):
                    self.assertNotEqual(mode[8], "w", f"{name}: {path} is world-writable ({mode})")

    def test_no_build_path_in_file_names_or_text_files(self):
        build_paths = {str(SOURCE), str(BUILD), str(SOURCE.resolve()), str(BUILD.resolve())}
        with tempfile.TemporaryDirectory() as root:
            extract_all(root)
            for name in PACKAGES:
                for path in listing(name):
                    self.assertFalse(any(b in path for b in build_paths), f"{name}: {path}")
            for path in Path(root).rglob("*"):
                if path.is_file() and not path.stat().st_mode & 0o111 and path.suffix != ".gz":
                    text = path.read_bytes().decode("utf-8", "replace")
                    self.assertFalse([b for b in build_paths if b in text], f"{path} names the build tree")
        for name in PACKAGES:
            for member in ("control", "postinst", "prerm", "postrm", "conffiles"):
                text, _ = control_file(name, member)
                if text:
                    self.assertFalse([b for b in build_paths if b in text], f"{name} {member}")

    def test_keha_conf_is_a_conffile_and_the_maintainer_scripts_are_executable(self):
        conffiles, mode = control_file("keha-server", "conffiles")
        self.assertEqual(conffiles.split(), ["/etc/keha/keha.conf"])
        self.assertEqual(mode, 0o644)
        for script in ("postinst", "prerm", "postrm"):
            text, mode = control_file("keha-server", script)
            self.assertEqual(mode, 0o755, script)
            self.assertTrue(text.startswith("#!/bin/sh\n"), script)
            run("sh", "-n", "-c", text)

    def test_postinst_makes_the_user_and_a_private_organizer_key_and_postrm_keeps_data_until_purge(self):
        postinst, _ = control_file("keha-server", "postinst")
        self.assertIn("adduser --system --group", postinst)
        self.assertIn("--home /var/lib/keha", postinst)
        self.assertIn("chmod 0640", postinst)
        self.assertIn("chown root:keha", postinst)
        self.assertIn("/dev/urandom", postinst)
        self.assertIn("[ -d /run/systemd/system ]", postinst)
        postrm, _ = control_file("keha-server", "postrm")
        purge = postrm[postrm.index('if [ "$1" = purge ]'):]
        self.assertIn("rm -rf /var/lib/keha", purge)
        self.assertEqual(postrm.count("rm -rf /var/lib/keha"), 1, "the meetings go on purge only")

    def test_dependencies_are_declared(self):
        server = field("keha-server", "Depends")
        for needed in (f"keha-common (= {VERSION})", "adduser", "libsqlite3-0", "libssl3", "libc6"):
            self.assertIn(needed, server)
        desk = field("keha-desk", "Depends")
        for needed in (f"keha-common (= {VERSION})", "fonts-noto-core | fonts-dejavu-core", "libglfw3", "libgl1"):
            self.assertIn(needed, desk)
        for name in PACKAGES:
            self.assertEqual(field(name, "Version"), VERSION)
            self.assertRegex(field(name, "Maintainer"), r"^[^<>]+ <[^<>@\s]+@[^<>\s]+>$")
            self.assertTrue(field(name, "Section"))
            summary = field(name, "Description").splitlines()[0]
            self.assertTrue(summary.startswith("Kehä dialogue facilitation - "), summary)

    def test_the_desktop_file_is_valid(self):
        with tempfile.TemporaryDirectory() as root:
            run("dpkg-deb", "-x", deb("keha-desk"), root)
            desktop = Path(root) / "usr/share/applications/keha-desk.desktop"
            result = run("desktop-file-validate", desktop, check=False)
            self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
            self.assertEqual(result.stdout + result.stderr, "")
            self.assertIn("\nExec=keha-desk\n", desktop.read_text())

    def test_man_pages_follow_help_and_name_the_files(self):
        with tempfile.TemporaryDirectory() as root:
            extract_all(root)
            page = run("man", "-l", Path(root) / "usr/share/man/man1/keha-server.1.gz",
                       env={**os.environ, "MANWIDTH": "200"}).stdout
            for option in help_options(Path(root) / "usr/bin/keha-server"):
                self.assertIn(f"--{option}", page)
            for section in ("FILES", "ENVIRONMENT", "SEE ALSO"):
                self.assertIn(f"\n{section}\n", page)
            self.assertIn("/etc/keha/keha.conf", page)
            desk = run("man", "-l", Path(root) / "usr/share/man/man1/keha-desk.1.gz").stdout
            self.assertIn("--server", desk)

    def test_keha_conf_shows_every_option_the_server_accepts(self):
        with tempfile.TemporaryDirectory() as root:
            extract_all(root)
            conf = (Path(root) / "etc/keha/keha.conf").read_text()
            keys = set(re.findall(r"^#? ?([a-z][a-z0-9-]*) =", conf, re.M))
            missing = help_options(Path(root) / "usr/bin/keha-server") - NOT_IN_THE_FILE - keys
            self.assertFalse(missing, "options keha.conf does not show")
            active = dict(re.findall(r"^([a-z][a-z0-9-]*) = (.*)$", conf, re.M))
            self.assertEqual(active.get("db"), "/var/lib/keha/keha.db")
            self.assertEqual(active.get("organizer-key-file"), "/etc/keha/organizer-key")
            self.assertNotIn("organizer-key", active, "a key in a world-readable file")


class Service(unittest.TestCase):
    def setUp(self):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.root = Path(tmp.name)
        extract_all(self.root)
        # What systemd-analyze needs of a system in the throw-away root: the host's units
        # (targets, slices) and the ExecReload program.
        units = self.root / "usr/lib/systemd/system"
        units.mkdir(parents=True, exist_ok=True)
        for unit in Path("/usr/lib/systemd/system").iterdir():
            if unit.is_file() or unit.is_symlink():
                shutil.copy(unit, units / unit.name, follow_symlinks=False)
        (self.root / "bin").mkdir(exist_ok=True)
        shutil.copy("/bin/kill", self.root / "bin/kill")
        self.env = {**os.environ, "MANPATH": str(self.root / "usr/share/man")}

    def test_systemd_analyze_verify_finds_nothing_to_say(self):
        result = run("systemd-analyze", "verify", f"--root={self.root}", "keha-server.service", env=self.env,
                     check=False)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout + result.stderr, "")

    def test_the_unit_runs_the_packaged_server_with_the_packaged_settings(self):
        unit = (self.root / "lib/systemd/system/keha-server.service").read_text()
        self.assertIn("\nExecStart=/usr/bin/keha-server --config /etc/keha/keha.conf\n", unit)
        self.assertIn("\nUser=keha\n", unit)
        self.assertIn("\nStateDirectory=keha\n", unit)
        self.assertIn("\nStateDirectoryMode=0700\n", unit)
        self.assertIn("\nExecReload=/bin/kill -HUP $MAINPID\n", unit)
        self.assertIn("\nCapabilityBoundingSet=\n", unit)

    def test_systemd_analyze_security_rates_the_unit_ok(self):
        result = run("systemd-analyze", "security", "--offline=true", f"--root={self.root}",
                     "keha-server.service", env=self.env, check=False)
        match = re.search(r"Overall exposure level for keha-server\.service: (\d+\.\d+) (\w+)", result.stdout)
        self.assertTrue(match, result.stdout + result.stderr)
        # systemd calls up to 2.0 "OK"; the unit scores 1.1 (the network and /dev/rtc read
        # access for ProtectClock are what is left).
        self.assertLessEqual(float(match.group(1)), 1.5, result.stdout)
        self.assertEqual(match.group(2), "OK")


class Server_log:
    """keha-server's stderr, read as it comes, so a test can wait for a line."""

    def __init__(self, stream):
        self.lines, self.changed = [], threading.Condition()
        self.thread = threading.Thread(target=self.read, args=(stream,), daemon=True)
        self.thread.start()

    def read(self, stream):
        for line in stream:
            with self.changed:
                self.lines.append(line)
                self.changed.notify_all()

    def wait_for(self, event, timeout=30):
        with self.changed:
            found = self.changed.wait_for(lambda: any(f" {event}" in line for line in self.lines), timeout)
        if not found:
            raise AssertionError(f"keha-server logged no {event}: {self.text()}")

    def text(self):
        with self.changed:
            return "".join(self.lines)


class Run(unittest.TestCase):
    def curl(self, *args):
        """The HTTP status of a request to the server, trusting only the test's certificate."""
        result = run("curl", "-sS", "--cacert", self.cert, "-o", "/dev/stderr", "-w", "%{http_code}", *args,
                     check=False)
        return result.stdout, result.stderr

    def test_the_extracted_server_serves_https_with_the_packaged_settings_and_stops_cleanly(self):
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            root = tmp / "root"
            extract_all(root)
            self.cert, key = tmp / "cert.pem", tmp / "key.pem"
            run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-days", "2",
                "-keyout", key, "-out", self.cert)
            organizer_key = tmp / "organizer-key"
            organizer_key.write_text(os.urandom(16).hex() + "\n")
            state = tmp / "state"
            state.mkdir(mode=0o700)
            # The packaged settings, with only what must differ in a temporary folder given on
            # the command line; the assets are found next to the program.
            env = {k: v for k, v in os.environ.items() if not k.startswith("KEHA_")}
            server = subprocess.Popen(
                [root / "usr/bin/keha-server", "--config", root / "etc/keha/keha.conf",
                 "--db", state / "keha.db", "--port", "0", "--organizer-key-file", organizer_key,
                 "--tls-cert", self.cert, "--tls-key", key],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
            log = Server_log(server.stderr)
            try:
                line = server.stdout.readline()
                # bind = 127.0.0.1 from keha.conf took effect; the assets are the extracted ones.
                match = re.match(r"Kehä is running: open https://127\.0\.0\.1:(\d+)/ \(database .*, assets (.*)\)$",
                                 line.strip())
                if not match:
                    server.terminate()
                    server.wait(timeout=30)
                    log.thread.join(timeout=30)
                    self.fail(f"no start line: {line!r}; stderr: {log.text()}")
                self.assertEqual(Path(match.group(2)).resolve(), (root / "usr/share/keha").resolve())
                url = f"https://localhost:{match.group(1)}"

                status, body = self.curl(f"{url}/readyz")
                self.assertEqual((status, body.strip()), ("200", "ready"))

                # Creating a room needs the organizer key from the file.
                create = ("-X", "POST", "-H", "Content-Type: application/json", "-d", '{"title":"Paketti"}',
                          f"{url}/api/rooms")
                self.assertEqual(self.curl(*create)[0], "401")
                header = tmp / "auth-header"
                header.write_text(f"Authorization: Bearer {organizer_key.read_text().strip()}\n")
                status, body = self.curl("-H", f"@{header}", *create)
                self.assertEqual(status, "201", body)

                made = sorted(state.iterdir())
                self.assertIn(state / "keha.db", made)
                for path in made:
                    self.assertEqual(stat.S_IMODE(path.stat().st_mode), 0o600, path)

                # What the unit's ExecReload sends: the certificate is read again, serving goes on.
                server.send_signal(signal.SIGHUP)
                log.wait_for("tls_reloaded")
                self.assertEqual(self.curl(f"{url}/readyz")[0], "200")
            finally:
                server.send_signal(signal.SIGTERM)
                try:
                    code = server.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    server.kill()
                    raise
            log.thread.join(timeout=30)
            self.assertEqual(code, 0, log.text())
            log.wait_for("stopped")


class Scripts(unittest.TestCase):
    """The maintainer scripts run for real, as dpkg runs them, in a private mount namespace
    whose /etc, /var/lib and unit folder are copies: the real system is never touched."""

    def setUp(self):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.tmp = Path(tmp.name)
        self.control = self.tmp / "control"
        run("dpkg-deb", "-e", deb("keha-server"), self.control)
        self.etc, self.var_lib, self.units = self.tmp / "etc", self.tmp / "var-lib", self.tmp / "units"
        run("cp", "-a", "/etc", self.etc)
        run("cp", "-a", "/usr/lib/systemd/system", self.units)
        self.var_lib.mkdir()
        # A machine the package was never on, even where this one has a user keha.
        for table in ("passwd", "shadow", "group", "gshadow"):
            path = self.etc / table
            if path.exists():
                lines = path.read_text().splitlines(keepends=True)
                path.write_text("".join(line for line in lines if not line.startswith("keha:")))
        shutil.rmtree(self.etc / "keha", ignore_errors=True)
        for unit in list((self.etc / "systemd/system").rglob("keha-server.service*")):
            if unit.is_dir() and not unit.is_symlink():
                shutil.rmtree(unit)
            else:
                unit.unlink()
        # What dpkg unpacks before it configures.
        with tempfile.TemporaryDirectory() as root:
            run("dpkg-deb", "-x", deb("keha-server"), root)
            shutil.copytree(Path(root) / "etc/keha", self.etc / "keha")
            shutil.copy(Path(root) / "lib/systemd/system/keha-server.service", self.units)

    def script(self, name, *args):
        mounts = (f"mount --bind {self.etc} /etc && mount --bind {self.var_lib} /var/lib && "
                  f"mount --bind {self.units} /usr/lib/systemd/system")
        # What dpkg tells a maintainer script (deb-systemd-helper insists on it).
        env = {k: v for k, v in os.environ.items() if k != "DPKG_ROOT"}
        env.update(DPKG_MAINTSCRIPT_PACKAGE="keha-server", DPKG_MAINTSCRIPT_NAME=name,
                   DPKG_MAINTSCRIPT_ARCH=run("dpkg", "--print-architecture").stdout.strip())
        return run("unshare", "--mount", "--propagation", "private", "sh", "-c",
                   f'{mounts} && exec "$0" "$@"', self.control / name, *args, env=env, check=False)

    def user(self, name):
        for line in (self.etc / "passwd").read_text().splitlines():
            fields = line.split(":")
            if fields[0] == name:
                return fields
        return None

    def group_id(self, name):
        for line in (self.etc / "group").read_text().splitlines():
            fields = line.split(":")
            if fields[0] == name:
                return int(fields[2])
        return None

    def test_install_upgrade_remove_and_purge(self):
        installed = self.script("postinst", "configure", "")
        self.assertEqual(installed.returncode, 0, installed.stdout + installed.stderr)

        # A system user keha with its home in the state directory, no login.
        user = self.user("keha")
        self.assertIsNotNone(user, "postinst made no user keha")
        self.assertLess(int(user[2]), 1000)
        self.assertEqual(user[5], "/var/lib/keha")
        self.assertEqual(user[6], "/usr/sbin/nologin")
        keha_gid = self.group_id("keha")
        self.assertEqual(int(user[3]), keha_gid)
        state = self.var_lib / "keha"
        self.assertEqual(stat.S_IMODE(state.stat().st_mode), 0o700)
        self.assertEqual((state.stat().st_uid, state.stat().st_gid), (int(user[2]), keha_gid))

        # A random organizer key only root and the keha group can read, never printed.
        key_file = self.etc / "keha/organizer-key"
        self.assertEqual(stat.S_IMODE(key_file.stat().st_mode), 0o640)
        self.assertEqual((key_file.stat().st_uid, key_file.stat().st_gid), (0, keha_gid))
        key = key_file.read_text()
        self.assertRegex(key, r"^[0-9a-f]{64}\n$")
        self.assertNotIn(key.strip(), installed.stdout + installed.stderr)
        self.assertFalse(list((self.etc / "keha").glob("organizer-key.*")), "a temporary key file was left")

        # Enabled for the next boot (systemd does not run here, so nothing is started).
        wants = self.etc / "systemd/system/multi-user.target.wants/keha-server.service"
        self.assertTrue(wants.is_symlink(), "the unit was not enabled")

        # An upgrade keeps the user and the key.
        upgraded = self.script("postinst", "configure", VERSION)
        self.assertEqual(upgraded.returncode, 0, upgraded.stdout + upgraded.stderr)
        self.assertEqual(key_file.read_text(), key)

        # remove keeps the meetings and the key; purge deletes them.
        (state / "keha.db").write_text("meetings")
        for step in (("prerm", "remove"), ("postrm", "remove")):
            result = self.script(*step)
            self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertTrue((state / "keha.db").exists())
        self.assertTrue(key_file.exists())
        (self.etc / "keha/keha.conf").unlink()  # dpkg removes the conffile before postrm purge
        purged = self.script("postrm", "purge")
        self.assertEqual(purged.returncode, 0, purged.stdout + purged.stderr)
        self.assertFalse(state.exists())
        self.assertFalse((self.etc / "keha").exists())
        self.assertFalse(wants.exists() or wants.is_symlink())


class Lintian(unittest.TestCase):
    def test_lintian_finds_no_error_or_warning(self):
        # initial-upload-closes-no-bugs asks an upload to the Debian archive to close its
        # "intent to package" bug; these packages are for an organisation's own servers.
        result = run("lintian", "--fail-on", "error,warning", "--suppress-tags", "initial-upload-closes-no-bugs",
                     *[deb(n) for n in PACKAGES], check=False, timeout=280)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)


if __name__ == "__main__":
    suite = {"build": Build, "contents": Contents, "service": Service, "scripts": Scripts, "run": Run,
             "lintian": Lintian}[sys.argv[1]]
    result = unittest.TextTestRunner(verbosity=2).run(unittest.defaultTestLoader.loadTestsFromTestCase(suite))
    sys.exit(0 if result.wasSuccessful() else 1)
