package org.refusalscope.io.npy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

import org.refusalscope.api.TensorView;

/**
 * Reads NumPy {@code .npy} arrays as {@link TensorView}s. float32 and float16 data are wrapped without copying (a
 * memory mapping stays a mapping); float64 is converted to float32 once, because the engines and {@code TensorView}
 * work in F32/F16/BF16. Fortran (column-major) arrays are rejected rather than silently transposed.
 * <p>
 * Written here rather than taken from a library: the npy readers on Maven Central (org.openlca:npy 0.0.x, an early
 * pre-release; org.jetbrains.bio:npy, Kotlin with its runtime) read whole arrays into heap arrays and cannot hand
 * out views into a memory-mapped, uncompressed .npz entry, which a 1.2 GB Gemma Scope 65k SAE needs. The format is a
 * short header plus raw data.
 */
public final class NpyFile {

	private NpyFile() {
	}

	/** Memory-maps a {@code .npy} file. */
	public static TensorView read(Path file, String name) throws IOException {
		try(FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
			return map(channel, 0, channel.size(), name, file.toString());
		}
	}

	/**
	 * Maps an array stored at {@code [offset, offset + length)} of a channel (a .npy file, or a stored .npz entry).
	 *
	 * @param source file (and entry) for error messages
	 */
	public static TensorView map(FileChannel channel, long offset, long length, String name, String source)
			throws IOException {
		ByteBuffer prefix = ByteBuffer.allocate((int) Math.min(NpyHeader.PREFIX, length));
		channel.read(prefix, offset);
		prefix.flip();
		long headerLength = NpyHeader.headerLength(prefix, source);
		if(headerLength > length) {
			throw new IOException(source + ": truncated .npy header");
		}
		ByteBuffer header = ByteBuffer.allocate((int) headerLength);
		channel.read(header, offset);
		header.flip();
		NpyHeader parsed = NpyHeader.parse(header, source);
		long dataBytes = checkedDataBytes(parsed, length, source);
		if(dataBytes > Integer.MAX_VALUE) {
			throw new IOException(source + ": array " + name + " is larger than 2 GiB, which one mapping cannot address");
		}
		ByteBuffer data = channel.map(FileChannel.MapMode.READ_ONLY, offset + headerLength, dataBytes);
		return view(parsed, data, name);
	}

	/** Wraps an array held in memory ({@code bytes} positioned at the start of its header). */
	public static TensorView fromBytes(ByteBuffer bytes, String name, String source) throws IOException {
		ByteBuffer whole = bytes.slice();
		long headerLength = NpyHeader.headerLength(whole, source);
		NpyHeader parsed = NpyHeader.parse(whole, source);
		long dataBytes = checkedDataBytes(parsed, whole.remaining(), source);
		ByteBuffer data = whole.slice((int) headerLength, (int) dataBytes);
		return view(parsed, data, name);
	}

	private static long checkedDataBytes(NpyHeader header, long available, String source) throws IOException {
		if(header.fortranOrder()) {
			throw new IOException(source + ": array is stored in Fortran (column-major) order; save it C-ordered "
					+ "(numpy.ascontiguousarray) before loading");
		}
		long dataBytes = header.elementCount() * header.elementSize(source);
		if(header.dataOffset() + dataBytes > available) {
			throw new IOException(source + ": .npy data truncated: shape " + Arrays.toString(header.shape()) + " "
					+ header.descr() + " needs " + dataBytes + " bytes after the header, "
					+ (available - header.dataOffset()) + " present");
		}
		return dataBytes;
	}

	private static TensorView view(NpyHeader header, ByteBuffer data, String name) {
		ByteBuffer little = data.order(ByteOrder.LITTLE_ENDIAN);
		return switch(header.descr().substring(1)) {
			case "f4" -> new TensorView(name, "F32", header.shape(), little);
			case "f2" -> new TensorView(name, "F16", header.shape(), little);
			default -> {
				// f8: one conversion to float32; SAE weights are float32 in training anyway
				int count = (int) header.elementCount();
				float[] values = new float[count];
				for(int i = 0; i < count; i++) {
					values[i] = (float) little.getDouble(i * 8);
				}
				yield TensorView.ofFloats(name, header.shape(), values);
			}
		};
	}
}
