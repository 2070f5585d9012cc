// Minimal Neo4j Community 5.26 server for Maillage's tests and laptops without Docker:
// the embedded database with its Bolt connector, bound to 127.0.0.1.
// Run with: java --add-opens=... -cp 'lib/*' Launcher.java DATA_DIR PORT
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;

public class Launcher {
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: Launcher DATA_DIR PORT");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        DatabaseManagementService service = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(512))
                // Large imports are written in one transaction (all or nothing): their state
                // off the heap where it can be, and a cap on all transactions' memory below the
                // 4 GB heap, so that a file too large is refused (MemoryPoolOutOfMemoryError,
                // nothing written) instead of the server stalling in garbage collection.
                .setConfig(GraphDatabaseSettings.tx_state_memory_allocation,
                        GraphDatabaseSettings.TransactionStateMemoryAllocation.OFF_HEAP)
                .setConfig(GraphDatabaseSettings.tx_state_max_off_heap_memory, ByteUnit.gibiBytes(2))
                .setConfig(GraphDatabaseSettings.memory_transaction_global_max_size,
                        ByteUnit.parse(System.getenv().getOrDefault("MAILLAGE_NEO4J_TX_MEMORY", "3g")))
                // On stop, running transactions get 2 s to end (10 s by default), so that the
                // requests of a server being stopped fail fast instead of waiting on it.
                .setConfig(GraphDatabaseSettings.shutdown_transaction_end_timeout, Duration.ofSeconds(2))
                // Erasure: the transaction logs hold what was written, an erased actor too.
                // Keep none beyond the current file (2 days by default), and rotate it at
                // 16 MB of writes (256 MB by default), so an erased text leaves them soon.
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "false")
                .setConfig(GraphDatabaseSettings.logical_log_rotation_threshold, ByteUnit.mebiBytes(16))
                .build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.shutdown();
            stopped.countDown();
        }));
        System.out.println("neo4j ready bolt://127.0.0.1:" + port);
        System.out.flush();
        stopped.await();
    }
}
