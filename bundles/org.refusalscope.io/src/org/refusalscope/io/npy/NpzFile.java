package org.refusalscope.io.npy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.refusalscope.api.TensorView;

/**
 * A NumPy {@code .npz} archive: a zip of {@code <name>.npy} entries ({@code numpy.savez} stores them,
 * {@code savez_compressed} deflates them). Stored entries are memory-mapped at their data offset, found from the
 * central directory and the entry's local header, so a 1.2 GB Gemma Scope {@code params.npz} costs page cache, not
 * heap. Deflated entries cannot be mapped; they are inflated into memory (direct buffers) on each
 * {@link #tensor(String)} call. The central directory is parsed here because {@link ZipFile} does not expose local
 * header offsets; ZIP64 records (numpy writes entries with {@code force_zip64}) are handled.
 */
public final class NpzFile implements AutoCloseable {

	private static final int EOCD_SIGNATURE = 0x06054b50;
	private static final int EOCD64_LOCATOR_SIGNATURE = 0x07064b50;
	private static final int EOCD64_SIGNATURE = 0x06064b50;
	private static final int CENTRAL_SIGNATURE = 0x02014b50;
	private static final int LOCAL_SIGNATURE = 0x04034b50;
	private static final long MASK32 = 0xffffffffL;

	/** One zip entry holding an array. */
	public record Entry(String entryName, int method, long compressedSize, long size, long localHeaderOffset) {

		public boolean stored() {
			return method == ZipEntry.STORED;
		}
	}

	private final Path path;
	private final FileChannel channel;
	private final Map<String, Entry> entries;

	private NpzFile(Path path, FileChannel channel, Map<String, Entry> entries) {
		this.path = path;
		this.channel = channel;
		this.entries = entries;
	}

	public static NpzFile open(Path path) throws IOException {
		FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
		try {
			return new NpzFile(path, channel, readCentralDirectory(path, channel));
		} catch(IOException | RuntimeException e) {
			channel.close();
			if(e instanceof IOException io) {
				throw io;
			}
			throw new IOException(path + ": not a readable .npz (zip) archive: " + e, e);
		}
	}

	public Path path() {
		return path;
	}

	/** Array names, i.e. entry names without {@code .npy}. */
	public Set<String> names() {
		return Collections.unmodifiableSet(entries.keySet());
	}

	public boolean contains(String name) {
		return entries.containsKey(name);
	}

	public Entry entry(String name) throws IOException {
		Entry entry = entries.get(name);
		if(entry == null) {
			throw new IOException(path + ": missing array '" + name + "' (present: " + entries.keySet() + ")");
		}
		return entry;
	}

	/** The shape from the entry's header, without mapping or inflating its data (stored entries only read 1 page). */
	public long[] shape(String name) throws IOException {
		Entry entry = entry(name);
		if(entry.stored()) {
			long offset = dataOffset(entry);
			ByteBuffer prefix = ByteBuffer.allocate((int) Math.min(NpyHeader.PREFIX, entry.size()));
			channel.read(prefix, offset);
			prefix.flip();
			ByteBuffer header = ByteBuffer.allocate((int) NpyHeader.headerLength(prefix, source(entry)));
			channel.read(header, offset);
			return NpyHeader.parse(header.flip(), source(entry)).shape();
		}
		return tensor(name).shape();
	}

	/** The array: a mapping for stored entries, an inflated copy for deflated ones. */
	public TensorView tensor(String name) throws IOException {
		Entry entry = entry(name);
		if(entry.stored()) {
			return NpyFile.map(channel, dataOffset(entry), entry.size(), name, source(entry));
		}
		if(entry.method() != ZipEntry.DEFLATED) {
			throw new IOException(source(entry) + ": unsupported zip compression method " + entry.method());
		}
		if(entry.size() > Integer.MAX_VALUE) {
			throw new IOException(source(entry) + ": compressed array over 2 GiB; re-save it with numpy.savez");
		}
		ByteBuffer inflated = ByteBuffer.allocateDirect((int) entry.size());
		try(ZipFile zip = new ZipFile(path.toFile()); InputStream in = zip.getInputStream(zip.getEntry(entry.entryName()))) {
			byte[] chunk = new byte[1 << 16];
			int read;
			while((read = in.read(chunk)) > 0) {
				if(read > inflated.remaining()) {
					throw new IOException(source(entry) + ": entry inflates past its recorded size");
				}
				inflated.put(chunk, 0, read);
			}
		}
		return NpyFile.fromBytes(inflated.flip(), name, source(entry));
	}

	private String source(Entry entry) {
		return path + "!" + entry.entryName();
	}

	private long dataOffset(Entry entry) throws IOException {
		ByteBuffer local = ByteBuffer.allocate(30).order(ByteOrder.LITTLE_ENDIAN);
		channel.read(local, entry.localHeaderOffset());
		local.flip();
		if(local.remaining() < 30 || local.getInt(0) != LOCAL_SIGNATURE) {
			throw new IOException(source(entry) + ": bad local zip header at offset " + entry.localHeaderOffset());
		}
		int nameLength = local.getShort(26) & 0xffff;
		int extraLength = local.getShort(28) & 0xffff;
		return entry.localHeaderOffset() + 30 + nameLength + extraLength;
	}

	private static Map<String, Entry> readCentralDirectory(Path path, FileChannel channel) throws IOException {
		long size = channel.size();
		int tailLength = (int) Math.min(size, 22 + 0xffff);
		ByteBuffer tail = ByteBuffer.allocate(tailLength).order(ByteOrder.LITTLE_ENDIAN);
		channel.read(tail, size - tailLength);
		int eocd = -1;
		for(int i = tailLength - 22; i >= 0; i--) {
			if(tail.getInt(i) == EOCD_SIGNATURE) {
				eocd = i;
				break;
			}
		}
		if(eocd < 0) {
			throw new IOException(path + ": not a .npz archive (no zip end-of-central-directory record)");
		}
		long entryCount = tail.getShort(eocd + 10) & 0xffff;
		long directorySize = tail.getInt(eocd + 12) & MASK32;
		long directoryOffset = tail.getInt(eocd + 16) & MASK32;
		long eocdPosition = size - tailLength + eocd;
		if(entryCount == 0xffff || directorySize == MASK32 || directoryOffset == MASK32) {
			ByteBuffer locator = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
			channel.read(locator, eocdPosition - 20);
			if(locator.getInt(0) != EOCD64_LOCATOR_SIGNATURE) {
				throw new IOException(path + ": ZIP64 archive without a ZIP64 locator");
			}
			ByteBuffer eocd64 = ByteBuffer.allocate(56).order(ByteOrder.LITTLE_ENDIAN);
			channel.read(eocd64, locator.getLong(8));
			if(eocd64.getInt(0) != EOCD64_SIGNATURE) {
				throw new IOException(path + ": bad ZIP64 end-of-central-directory record");
			}
			entryCount = eocd64.getLong(32);
			directorySize = eocd64.getLong(40);
			directoryOffset = eocd64.getLong(48);
		}
		if(directorySize > Integer.MAX_VALUE || directoryOffset + directorySize > size) {
			throw new IOException(path + ": zip central directory out of range (file truncated?)");
		}
		ByteBuffer directory = ByteBuffer.allocate((int) directorySize).order(ByteOrder.LITTLE_ENDIAN);
		channel.read(directory, directoryOffset);
		Map<String, Entry> entries = new LinkedHashMap<>();
		int at = 0;
		for(long n = 0; n < entryCount; n++) {
			if(at + 46 > directorySize || directory.getInt(at) != CENTRAL_SIGNATURE) {
				throw new IOException(path + ": corrupt zip central directory at entry " + n);
			}
			int method = directory.getShort(at + 10) & 0xffff;
			long compressed = directory.getInt(at + 20) & MASK32;
			long uncompressed = directory.getInt(at + 24) & MASK32;
			int nameLength = directory.getShort(at + 28) & 0xffff;
			int extraLength = directory.getShort(at + 30) & 0xffff;
			int commentLength = directory.getShort(at + 32) & 0xffff;
			long localOffset = directory.getInt(at + 42) & MASK32;
			byte[] nameBytes = new byte[nameLength];
			directory.get(at + 46, nameBytes);
			String entryName = new String(nameBytes, StandardCharsets.UTF_8);
			// ZIP64 extended information: the 8-byte values appear in this order, only for fields set to 0xffffffff
			int extra = at + 46 + nameLength;
			int extraEnd = extra + extraLength;
			while(extra + 4 <= extraEnd) {
				int id = directory.getShort(extra) & 0xffff;
				int length = directory.getShort(extra + 2) & 0xffff;
				if(id == 0x0001) {
					int field = extra + 4;
					if(uncompressed == MASK32) {
						uncompressed = directory.getLong(field);
						field += 8;
					}
					if(compressed == MASK32) {
						compressed = directory.getLong(field);
						field += 8;
					}
					if(localOffset == MASK32) {
						localOffset = directory.getLong(field);
					}
				}
				extra += 4 + length;
			}
			if(!entryName.endsWith("/")) {
				String name = entryName.endsWith(".npy") ? entryName.substring(0, entryName.length() - 4) : entryName;
				entries.put(name, new Entry(entryName, method, compressed, uncompressed, localOffset));
			}
			at += 46 + nameLength + extraLength + commentLength;
		}
		return entries;
	}

	@Override
	public void close() throws IOException {
		channel.close();
	}
}
