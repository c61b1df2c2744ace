package org.refusalscope.io.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Atomic replacement: the content lands whole or not at all, with the permissions an ordinary new file gets. */
class AtomicWriteTest {

	@Test
	void newFileGetsTheUmasksPermissionsNotOwnerOnly(@TempDir Path dir) throws IOException {
		Path ordinary = Files.createFile(dir.resolve("ordinary.txt"));
		Path written = dir.resolve("results.json");
		AtomicWrite.replace(written, temp -> Files.writeString(temp, "{}"));
		assertEquals("{}", Files.readString(written));
		assertEquals(Files.getPosixFilePermissions(ordinary), Files.getPosixFilePermissions(written));
		assertEquals(List.of("ordinary.txt", "results.json"), listing(dir));
	}

	@Test
	void replacedFileKeepsItsPermissions(@TempDir Path dir) throws IOException {
		Path target = Files.writeString(dir.resolve("private.json"), "old");
		Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
		AtomicWrite.replace(target, temp -> Files.writeString(temp, "new"));
		assertEquals("new", Files.readString(target));
		assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(target));
	}

	@Test
	void failedWriteLeavesTheOldContentAndNoTemporaryFile(@TempDir Path dir) throws IOException {
		Path target = Files.writeString(dir.resolve("progress.json"), "old");
		assertThrows(IOException.class, () -> AtomicWrite.replace(target, temp -> {
			Files.writeString(temp, "half");
			throw new IOException("disk full");
		}));
		assertEquals("old", Files.readString(target));
		assertEquals(List.of("progress.json"), listing(dir));
	}

	private static List<String> listing(Path dir) throws IOException {
		try(var files = Files.list(dir)) {
			return files.map(file -> file.getFileName().toString()).sorted().toList();
		}
	}
}
