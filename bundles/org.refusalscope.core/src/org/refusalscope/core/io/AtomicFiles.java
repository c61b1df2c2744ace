package org.refusalscope.core.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes files so that a reader (or a resumed run after Ctrl-C) sees either the old or the new content, never a
 * half-written file: write a sibling temporary file, then rename it over the target.
 */
public final class AtomicFiles {

	private AtomicFiles() {
	}

	public static void writeString(Path target, String content) throws IOException {
		writeBytes(target, content.getBytes(StandardCharsets.UTF_8));
	}

	public static void writeBytes(Path target, byte[] content) throws IOException {
		Path parent = target.toAbsolutePath().getParent();
		Files.createDirectories(parent);
		Path temp = Files.createTempFile(parent, "." + target.getFileName(), ".tmp");
		try {
			Files.write(temp, content);
			try {
				Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			} catch(AtomicMoveNotSupportedException e) {
				Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
			}
		} finally {
			Files.deleteIfExists(temp);
		}
	}
}
