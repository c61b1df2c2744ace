package org.refusalscope.sae;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import org.refusalscope.api.sae.ActivationChunks;
import org.refusalscope.io.npy.NpyFile;
import org.refusalscope.io.npy.NpzWriter;

/**
 * Activations of one hook point on disk, as {@code chunk_<n>.npy} float32 files of at most {@code chunkRows} rows
 * plus {@code chunks.txt} (one row count per line, written last, so a folder with it is complete). Training reads
 * one chunk at a time, memory-mapped, so the cache can be far larger than memory; collecting holds one chunk.
 * numpy reads the chunks too ({@code numpy.load}).
 */
public final class ActivationCache implements ActivationChunks {

	private static final String INDEX = "chunks.txt";

	private final Path folder;
	private final int dIn;
	private final List<Integer> rows;

	private ActivationCache(Path folder, int dIn, List<Integer> rows) {
		this.folder = folder;
		this.dIn = dIn;
		this.rows = rows;
	}

	/** True when {@code folder} holds a completed cache. */
	public static boolean isComplete(Path folder) {
		return Files.isRegularFile(folder.resolve(INDEX));
	}

	public static ActivationCache open(Path folder) throws IOException {
		Path index = folder.resolve(INDEX);
		if(!Files.isRegularFile(index)) {
			throw new IOException(folder + ": activation cache incomplete (no " + INDEX + "); collect it again");
		}
		List<String> lines = Files.readAllLines(index);
		if(lines.isEmpty() || !lines.get(0).startsWith("d_in ")) {
			throw new IOException(index + ": expected 'd_in N' on the first line");
		}
		int dIn = Integer.parseInt(lines.get(0).substring(5).trim());
		List<Integer> rows = new ArrayList<>();
		for(String line : lines.subList(1, lines.size())) {
			if(!line.isBlank()) {
				rows.add(Integer.parseInt(line.trim()));
			}
		}
		if(rows.isEmpty()) {
			throw new IOException(folder + ": activation cache holds no rows");
		}
		return new ActivationCache(folder, dIn, rows);
	}

	private static Path chunkFile(Path folder, int index) {
		return folder.resolve(String.format("chunk_%05d.npy", index));
	}

	@Override
	public int dIn() {
		return dIn;
	}

	@Override
	public int chunkCount() {
		return rows.size();
	}

	@Override
	public int rows(int index) {
		return rows.get(index);
	}

	@Override
	public float[] chunk(int index) throws IOException {
		Path file = chunkFile(folder, index);
		var tensor = NpyFile.read(file, "activations");
		if(tensor.shape().length != 2 || tensor.shape()[0] != rows.get(index) || tensor.shape()[1] != dIn) {
			throw new IOException(file + ": shape " + java.util.Arrays.toString(tensor.shape()) + ", expected ["
					+ rows.get(index) + ", " + dIn + "]");
		}
		return tensor.toFloatArray();
	}

	/** Appends rows and cuts them into chunk files; {@link #finish()} writes the index. */
	public static final class Writer {

		private final Path folder;
		private final int dIn;
		private final int chunkRows;
		private final float[] buffer;
		private int buffered;
		private final List<Integer> written = new ArrayList<>();

		public Writer(Path folder, int dIn, int chunkRows) throws IOException {
			this.folder = folder;
			this.dIn = dIn;
			this.chunkRows = chunkRows;
			this.buffer = new float[Math.multiplyExact(chunkRows, dIn)];
			Files.createDirectories(folder);
			Files.deleteIfExists(folder.resolve(INDEX));
		}

		public void add(float[] row) throws IOException {
			if(row.length != dIn) {
				throw new IllegalArgumentException("row has " + row.length + " values, cache holds d_in=" + dIn);
			}
			System.arraycopy(row, 0, buffer, buffered * dIn, dIn);
			buffered++;
			if(buffered == chunkRows) {
				flush();
			}
		}

		public long rowCount() {
			long total = buffered;
			for(int count : written) {
				total += count;
			}
			return total;
		}

		private void flush() throws IOException {
			if(buffered == 0) {
				return;
			}
			Path target = chunkFile(folder, written.size());
			Path temp = folder.resolve(target.getFileName() + ".tmp");
			NpzWriter.writeNpy(temp, new long[] {buffered, dIn}, java.util.Arrays.copyOf(buffer, buffered * dIn));
			move(temp, target);
			written.add(buffered);
			buffered = 0;
		}

		public ActivationCache finish() throws IOException {
			flush();
			if(written.isEmpty()) {
				throw new IOException(folder + ": no activations were collected");
			}
			StringBuilder index = new StringBuilder("d_in ").append(dIn).append('\n');
			written.forEach(count -> index.append(count).append('\n'));
			Path temp = folder.resolve(INDEX + ".tmp");
			Files.writeString(temp, index);
			move(temp, folder.resolve(INDEX));
			return new ActivationCache(folder, dIn, List.copyOf(written));
		}

		private static void move(Path from, Path to) throws IOException {
			try {
				Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			} catch(AtomicMoveNotSupportedException e) {
				Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
			}
		}
	}
}
