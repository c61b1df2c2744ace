package org.refusalscope.model.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * In-place conversion into engine tensors, with chunks far smaller than the tensors so that the row-slice path (each
 * chunk written through a view of the final tensor) is exercised as it is on real checkpoints.
 */
class WeightUpload_Test {

	private static final long[] SHAPE = {37, 11};

	/** Values of every magnitude fp16 represents exactly, plus some it rounds (subnormal range). */
	private static float[] values(long seed) {
		Random random = new Random(seed);
		float[] v = new float[(int) (SHAPE[0] * SHAPE[1])];
		for(int i = 0; i < v.length; i++) {
			v[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(7) - 5));
		}
		return v;
	}

	private static ByteBuffer encode(float[] values, String dtype) {
		int width = dtype.equals("F32") ? 4 : 2;
		ByteBuffer bytes = ByteBuffer.allocate(values.length * width).order(ByteOrder.LITTLE_ENDIAN);
		for(float value : values) {
			switch(dtype) {
				case "F32" -> bytes.putFloat(value);
				case "F16" -> bytes.putShort(Float.floatToFloat16(value));
				default -> bytes.putShort((short) (Float.floatToRawIntBits(value) >>> 16)); // truncation is fine here
			}
		}
		return bytes.flip();
	}

	private static float decode(ByteBuffer bytes, String dtype, int i) {
		return switch(dtype) {
			case "F32" -> bytes.getFloat(i * 4);
			case "F16" -> Float.float16ToFloat(bytes.getShort(i * 2));
			default -> Float.intBitsToFloat((bytes.getShort(i * 2) & 0xffff) << 16);
		};
	}

	private static NDArray upload(WeightUpload upload, String name, ByteBuffer bytes, String dtype, NDManager manager,
			DataType target) throws Exception {
		return upload.upload(name, dtype, SHAPE, (offset, length, staging) -> {
			staging.put(bytes.slice((int) offset, length));
			return staging.flip();
		}, manager, target);
	}

	@Test
	void everyConversionMatchesElementwiseRounding() throws Exception {
		try(NDManager manager = Djl.newManager()) {
			for(String dtype : List.of("F32", "F16", "BF16")) {
				ByteBuffer bytes = encode(values(dtype.hashCode()), dtype);
				for(DataType target : List.of(DataType.FLOAT32, DataType.FLOAT16)) {
					// 3 rows of 11 values per chunk: 13 chunks, each written through a view of the final tensor
					WeightUpload upload = new WeightUpload(3 * 11 * (dtype.equals("F32") ? 4 : 2), false);
					NDArray tensor = upload(upload, "w", bytes, dtype, manager, target);
					assertEquals(target, tensor.getDataType());
					assertArrayEquals(SHAPE, tensor.getShape().getShape());
					float[] actual = tensor.toType(DataType.FLOAT32, false).toFloatArray();
					for(int i = 0; i < actual.length; i++) {
						float stored = decode(bytes, dtype, i);
						float expected = target == DataType.FLOAT32 ? stored : Float.float16ToFloat(Float.floatToFloat16(stored));
						assertEquals(expected, actual[i], 0f, dtype + " to " + target + " at " + i);
					}
				}
			}
		}
	}

	@Test
	void valuesBeyondFloat16AreKeptInFloat32OrClampedForHalfCompute() throws Exception {
		float[] v = values(5);
		v[200] = 70000f;
		v[300] = -1e6f;
		ByteBuffer bytes = encode(v, "BF16");
		try(NDManager manager = Djl.newManager()) {
			WeightUpload storage = new WeightUpload(64, false);
			NDArray kept = upload(storage, "big", bytes, "BF16", manager, DataType.FLOAT16);
			assertEquals(DataType.FLOAT32, kept.getDataType());
			assertEquals(List.of("big"), storage.keptInFloat32());
			assertEquals(decode(bytes, "BF16", 300), kept.toFloatArray()[300], 0f);

			WeightUpload halfCompute = new WeightUpload(64, true);
			NDArray clamped = upload(halfCompute, "big", bytes, "BF16", manager, DataType.FLOAT16);
			assertEquals(DataType.FLOAT16, clamped.getDataType());
			assertEquals(2, halfCompute.clamped());
			float[] values = clamped.toType(DataType.FLOAT32, false).toFloatArray();
			assertEquals(65504f, values[200], 0f);
			assertEquals(-65504f, values[300], 0f);
			assertTrue(halfCompute.keptInFloat32().isEmpty());
		}
	}
}
