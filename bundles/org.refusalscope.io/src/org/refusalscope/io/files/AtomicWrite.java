package org.refusalscope.io.files;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replaces a file so that a reader (or a run resumed after Ctrl-C) sees either the old or the new content, never a
 * half-written file: the content goes to a hidden sibling, which is then renamed over the target.
 * <p>
 * The sibling is created like any new file, so it gets the permissions the user's umask gives (a
 * {@code Files.createTempFile} would be owner-only, 0600, and so would every result file after the rename); a target
 * that already exists keeps its permissions.
 */
public final class AtomicWrite {

	/** Writes the content to the (created, empty) temporary file. */
	@FunctionalInterface
	public interface Content {

		void writeTo(Path temporary) throws IOException;
	}

	private AtomicWrite() {
	}

	public static void replace(Path target, Content content) throws IOException {
		Path parent = target.toAbsolutePath().getParent();
		Files.createDirectories(parent);
		Path temp = createSibling(parent, target.getFileName().toString());
		try {
			content.writeTo(temp);
			keepPermissions(target, temp);
			try {
				Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			} catch(AtomicMoveNotSupportedException e) {
				Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
			}
		} finally {
			Files.deleteIfExists(temp);
		}
	}

	private static Path createSibling(Path parent, String name) throws IOException {
		for(int attempt = 0;; attempt++) {
			Path candidate = parent.resolve("." + name + "." + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
			try {
				return Files.createFile(candidate);
			} catch(FileAlreadyExistsException e) {
				if(attempt >= 10) {
					throw e;
				}
			}
		}
	}

	private static void keepPermissions(Path target, Path temp) throws IOException {
		PosixFileAttributeView existing = Files.getFileAttributeView(target, PosixFileAttributeView.class);
		if(existing != null && Files.exists(target)) {
			Files.setPosixFilePermissions(temp, existing.readAttributes().permissions());
		}
	}
}
