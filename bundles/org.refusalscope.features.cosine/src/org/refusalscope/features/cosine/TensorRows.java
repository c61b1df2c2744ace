package org.refusalscope.features.cosine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;

import org.refusalscope.api.TensorView;

/**
 * Reads blocks of rows of a 2-D {@link TensorView} into a reused float array with bulk buffer operations, so large
 * memory-mapped weights are streamed block by block instead of element by element.
 */
public final class TensorRows {

	private TensorRows() {
	}

	/** Copies rows {@code [from, from + count)} of a {@code [rows, cols]} tensor into {@code out} (row-major). */
	public static void read(TensorView tensor, long from, int count, float[] out, short[] scratch) {
		int cols = (int) tensor.shape()[1];
		int elements = count * cols;
		int bytesPer = tensor.bytesPerElement();
		ByteBuffer data = tensor.bytes().duplicate().order(ByteOrder.LITTLE_ENDIAN);
		long start = from * cols * bytesPer;
		if(start + (long) elements * bytesPer > data.capacity()) {
			throw new IllegalArgumentException("tensor " + tensor.name() + " has no rows " + from + ".." + (from + count));
		}
		data.position((int) start);
		data.limit((int) (start + (long) elements * bytesPer));
		ByteBuffer block = data.slice().order(ByteOrder.LITTLE_ENDIAN);
		switch(tensor.dtype()) {
			case "F32" -> block.asFloatBuffer().get(out, 0, elements);
			case "BF16" -> {
				ShortBuffer shorts = block.asShortBuffer();
				shorts.get(scratch, 0, elements);
				for(int i = 0; i < elements; i++) {
					out[i] = Float.intBitsToFloat((scratch[i] & 0xffff) << 16);
				}
			}
			case "F16" -> {
				ShortBuffer shorts = block.asShortBuffer();
				shorts.get(scratch, 0, elements);
				for(int i = 0; i < elements; i++) {
					out[i] = Float.float16ToFloat(scratch[i]);
				}
			}
			default -> throw new IllegalStateException("unsupported dtype " + tensor.dtype() + " of tensor " + tensor.name());
		}
	}

	/** Rows per block so that one block holds about {@code targetElements} values. */
	public static int blockRows(TensorView tensor, int targetElements) {
		int cols = (int) tensor.shape()[1];
		return Math.max(1, Math.min((int) tensor.shape()[0], targetElements / Math.max(1, cols)));
	}
}
