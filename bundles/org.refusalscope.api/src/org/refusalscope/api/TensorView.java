package org.refusalscope.api;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A read-only dense tensor in little-endian row-major layout, usually a memory-mapped slice of a weights file.
 * Engines wrap {@link #bytes()} without copying where they can.
 *
 * @param name  tensor name in its file, for error messages
 * @param dtype {@code F32}, {@code F16} or {@code BF16}
 * @param shape dimensions, row-major
 * @param bytes the raw data, positioned at 0, little endian
 */
public record TensorView(String name, String dtype, long[] shape, ByteBuffer bytes) {

	public long elementCount() {
		long count = 1;
		for(long dim : shape) {
			count *= dim;
		}
		return count;
	}

	public int bytesPerElement() {
		return switch(dtype) {
			case "F32" -> 4;
			case "F16", "BF16" -> 2;
			default -> throw new IllegalStateException("unsupported dtype " + dtype + " of tensor " + name);
		};
	}

	/** Element {@code index} (row-major) converted to float. */
	public float getFloat(long index) {
		ByteBuffer data = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
		return switch(dtype) {
			case "F32" -> data.getFloat((int) (index * 4));
			case "BF16" -> Float.intBitsToFloat((data.getShort((int) (index * 2)) & 0xffff) << 16);
			case "F16" -> Float.float16ToFloat(data.getShort((int) (index * 2)));
			default -> throw new IllegalStateException("unsupported dtype " + dtype + " of tensor " + name);
		};
	}

	/** All elements as floats; for small tensors (biases, thresholds) and tests, not for model weights. */
	public float[] toFloatArray() {
		long count = elementCount();
		if(count > Integer.MAX_VALUE) {
			throw new IllegalStateException("tensor " + name + " is too large to copy into one array");
		}
		float[] out = new float[(int) count];
		ByteBuffer data = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
		switch(dtype) {
			case "F32" -> data.asFloatBuffer().get(out);
			case "BF16" -> {
				for(int i = 0; i < out.length; i++) {
					out[i] = Float.intBitsToFloat((data.getShort(i * 2) & 0xffff) << 16);
				}
			}
			case "F16" -> {
				for(int i = 0; i < out.length; i++) {
					out[i] = Float.float16ToFloat(data.getShort(i * 2));
				}
			}
			default -> throw new IllegalStateException("unsupported dtype " + dtype + " of tensor " + name);
		}
		return out;
	}

	/** A tensor over a float array, e.g. a folded or computed weight. */
	public static TensorView ofFloats(String name, long[] shape, float[] values) {
		ByteBuffer buffer = ByteBuffer.allocateDirect(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
		buffer.asFloatBuffer().put(values);
		return new TensorView(name, "F32", shape, buffer);
	}
}
