import AdminCommand

FramesAdmin.main()
