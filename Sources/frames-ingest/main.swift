import IngestCommand

FramesIngest.main()
