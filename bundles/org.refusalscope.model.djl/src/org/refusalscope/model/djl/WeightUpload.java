package org.refusalscope.model.djl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Converts stored tensor bytes (F32, F16, BF16) straight into their final engine tensor: the tensor is allocated once
 * by libtorch, and its memory is filled in place, chunk by chunk of rows, through a direct buffer over that memory.
 * The source bytes pass through one reused staging buffer. No intermediate engine tensors, no concatenation: the
 * previous loader held chunk copies plus their concatenation plus one fresh direct buffer per chunk (about 19 GB for
 * a 10.5 GB model).
 *
 * <p>Half precision: bf16 to fp16 is exact for normal magnitudes (6.1e-5 to 65504), since fp16 has more mantissa
 * bits. Smaller magnitudes become fp16 subnormals or zero by IEEE round-to-nearest, an absolute error of at most
 * 2^-25 (3e-8), negligible next to weights of typical size 1e-2; this is deliberate and not reported. Magnitudes
 * above 65504 would become infinite: a tensor holding any such value is kept in float32 instead (counted in
 * {@link #keptInFloat32()} and reported on stderr), because clamping would change the function silently. The pure
 * {@code float16} compute mode cannot mix dtypes in a matmul, so there such values are clamped to +-65504 and
 * counted in {@link #clamped()}.
 */
final class WeightUpload {

	/** Where the bytes of one tensor come from. */
	interface Source {
		/**
		 * The {@code length} bytes starting {@code byteOffset} bytes into the tensor, little endian; may be
		 * {@code staging} filled by the call, or a view of memory the source already has.
		 */
		ByteBuffer read(long byteOffset, int length, ByteBuffer staging) throws IOException;
	}

	/** Source bytes per chunk: large enough to amortise calls, small enough to stay in cache-friendly arrays. */
	static final int DEFAULT_CHUNK_BYTES = 16 << 20;

	private final int chunkBytes;
	private final boolean clampForHalfCompute;
	private ByteBuffer staging;
	private short[] halves;
	private int[] words;
	private final List<String> keptInFloat32 = new ArrayList<>();
	private long clamped;

	WeightUpload(boolean clampForHalfCompute) {
		this(DEFAULT_CHUNK_BYTES, clampForHalfCompute);
	}

	/** {@code chunkBytes} is a parameter so tests can force many chunks on tiny tensors. */
	WeightUpload(int chunkBytes, boolean clampForHalfCompute) {
		this.chunkBytes = chunkBytes;
		this.clampForHalfCompute = clampForHalfCompute;
	}

	List<String> keptInFloat32() {
		return keptInFloat32;
	}

	long clamped() {
		return clamped;
	}

	static int width(String dtype, String name) throws IOException {
		return switch(dtype) {
			case "F32" -> 4;
			case "F16", "BF16" -> 2;
			default -> throw new IOException("tensor '" + name + "' has unsupported dtype " + dtype);
		};
	}

	/**
	 * The tensor {@code name} in {@code target} dtype (FLOAT32 or FLOAT16), or in FLOAT32 when {@code target} is
	 * FLOAT16 and a value is out of the fp16 range (see the class comment).
	 */
	NDArray upload(String name, String dtype, long[] shape, Source source, NDManager manager, DataType target)
			throws IOException {
		int sourceWidth = width(dtype, name);
		if(target == DataType.FLOAT16 && !dtype.equals("F16")) {
			NDArray half = fill(name, dtype, sourceWidth, shape, source, manager, DataType.FLOAT16, !clampForHalfCompute);
			if(half != null) {
				return half;
			}
			keptInFloat32.add(name);
			System.err.println("[refusalscope] tensor '" + name + "' has values beyond the float16 range (65504); kept in"
					+ " float32");
			return fill(name, dtype, sourceWidth, shape, source, manager, DataType.FLOAT32, false);
		}
		return fill(name, dtype, sourceWidth, shape, source, manager, target, false);
	}

	/** Fills a new tensor; returns null (tensor released) if {@code failOnOverflow} and a value overflowed fp16. */
	private NDArray fill(String name, String dtype, int sourceWidth, long[] shape, Source source, NDManager manager,
			DataType target, boolean failOnOverflow) throws IOException {
		long rows = shape.length == 0 ? 1 : shape[0];
		long count = 1;
		for(long dim : shape) {
			count *= dim;
		}
		long rowElements = rows == 0 ? 0 : count / rows;
		long rowsPerChunk = Math.max(1, chunkBytes / Math.max(1, rowElements * sourceWidth));
		NDArray tensor = manager.create(new Shape(shape), target);
		if(count == 0) {
			return tensor;
		}
		boolean whole = rowsPerChunk >= rows;
		for(long from = 0; from < rows; from += rowsPerChunk) {
			long to = Math.min(rows, from + rowsPerChunk);
			int elements = Math.toIntExact((to - from) * rowElements);
			ensureCapacity(elements, sourceWidth);
			staging.clear().limit(elements * sourceWidth);
			ByteBuffer in = source.read(from * rowElements * sourceWidth, elements * sourceWidth, staging)
					.order(ByteOrder.LITTLE_ENDIAN);
			// a row slice of a contiguous tensor is a contiguous view: its direct buffer is the tensor's own memory
			NDArray part = whole ? tensor : tensor.get(new NDIndex().addSliceDim(from, to));
			try {
				ByteBuffer out = part.toByteBuffer(true).order(ByteOrder.nativeOrder());
				if(out.capacity() != (long) elements * (target == DataType.FLOAT32 ? 4 : 2)) {
					throw new IllegalStateException("engine buffer of '" + name + "' has " + out.capacity() + " bytes");
				}
				if(!convert(dtype, in, elements, target, out, failOnOverflow)) {
					if(part != tensor) {
						part.close();
					}
					tensor.close();
					return null;
				}
			} finally {
				if(part != tensor) {
					part.close();
				}
			}
		}
		return tensor;
	}

	private void ensureCapacity(int elements, int sourceWidth) {
		int bytes = elements * sourceWidth;
		if(staging == null || staging.capacity() < bytes) {
			staging = ByteBuffer.allocateDirect(Math.max(bytes, chunkBytes)).order(ByteOrder.LITTLE_ENDIAN);
		}
		if(halves == null || halves.length < elements) {
			halves = new short[elements];
			words = new int[elements];
		}
	}

	/** One chunk; false if a value overflowed fp16 and {@code failOnOverflow}. */
	private boolean convert(String dtype, ByteBuffer in, int n, DataType target, ByteBuffer out, boolean failOnOverflow) {
		if(target == DataType.FLOAT32) {
			switch(dtype) {
				case "F32" -> out.asFloatBuffer().put(in.asFloatBuffer());
				case "BF16" -> {
					in.asShortBuffer().get(halves, 0, n);
					for(int i = 0; i < n; i++) {
						words[i] = halves[i] << 16;
					}
					out.asIntBuffer().put(words, 0, n);
				}
				default -> { // F16
					in.asShortBuffer().get(halves, 0, n);
					for(int i = 0; i < n; i++) {
						words[i] = Float.floatToRawIntBits(Float.float16ToFloat(halves[i]));
					}
					out.asIntBuffer().put(words, 0, n);
				}
			}
			return true;
		}
		switch(dtype) {
			case "F16" -> out.asShortBuffer().put(in.asShortBuffer());
			case "BF16" -> {
				in.asShortBuffer().get(halves, 0, n);
				for(int i = 0; i < n; i++) {
					words[i] = halves[i] << 16;
				}
				if(!toHalves(n, failOnOverflow)) {
					return false;
				}
				out.asShortBuffer().put(halves, 0, n);
			}
			default -> { // F32
				in.asIntBuffer().get(words, 0, n);
				if(!toHalves(n, failOnOverflow)) {
					return false;
				}
				out.asShortBuffer().put(halves, 0, n);
			}
		}
		return true;
	}

	private static final short MAX_HALF = (short) 0x7bff; // 65504

	/**
	 * float32 bits in {@code words} to fp16 bits in {@code halves}. A finite value that rounds beyond 65504 makes the
	 * chunk fail when {@code failOnOverflow}; otherwise it is clamped to +-65504 and counted.
	 */
	private boolean toHalves(int n, boolean failOnOverflow) {
		for(int i = 0; i < n; i++) {
			float value = Float.intBitsToFloat(words[i]);
			short half = Float.floatToFloat16(value);
			if((half & 0x7fff) == 0x7c00 && !Float.isInfinite(value)) {
				if(failOnOverflow) {
					return false;
				}
				half = (short) (MAX_HALF | (half & 0x8000));
				clamped++;
			}
			halves[i] = half;
		}
		return true;
	}

	/** Reports clamping once per load (pure float16 compute only). */
	void reportClamped(String what) {
		if(clamped > 0) {
			System.err.println("[refusalscope] " + what + ": " + clamped + " weights beyond the float16 range were clamped to"
					+ " +-65504 (float16 compute)");
		}
	}
}
