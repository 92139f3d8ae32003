import FastCGICommand

FramesFCGI.main()
